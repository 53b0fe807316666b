"""Text of the Register of Enterprises import (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.register_unknown_columns": ("Failā ir kolonnas, kuru nav Uzņēmumu reģistra register.csv: {columns}.", "The file has columns that register.csv of the Register of Enterprises does not have: {columns}."),
    "error.register_missing_columns": ("Failā trūkst Uzņēmumu reģistra register.csv kolonnu: {columns}.", "The file lacks columns of the Register of Enterprises' register.csv: {columns}."),
    "error.register_duplicate_columns": ("Kolonnas ir failā divreiz: {columns}.", "Columns appear twice in the file: {columns}."),
    "error.register_row_width": ("rindā ir {found} šūnas, bet jābūt {expected}", "the row has {found} cells instead of {expected}"),
    "error.register_duplicate": ("šis reģistrācijas numurs jau ir {first}. rindā", "this registration number is already in row {first}"),
    "register.problem": ("{row}. rinda, kolonna {column}, vērtība “{value}”: {message}", "Row {row}, column {column}, value “{value}”: {message}"),
    "register.summary": ("Nolasītas {rows_read} rindas; biedrību un nodibinājumu reģistrā {taken} (biedrības {associations}, nodibinājumi {foundations}, citas formas {other_forms}); citos reģistros {other_registers}. Izbeigušās darbību un izlaistas {skipped_ended}; ar kļūdām {invalid}. Jaunas {created}, mainītas {updated}, bez izmaiņām {unchanged}; bez zināmas pašvaldības {without_municipality}.", "Read {rows_read} rows; {taken} in the register of associations and foundations ({associations} associations, {foundations} foundations, {other_forms} other forms); {other_registers} in other registers. Ended and skipped: {skipped_ended}; with problems: {invalid}. New: {created}, changed: {updated}, unchanged: {unchanged}; without a known municipality: {without_municipality}."),
    "register.written": ("Izmaiņas saglabātas.", "The changes are saved."),
    "register.dry_run": ("Pārbaude: nekas netika saglabāts.", "Dry run: nothing was saved."),
    "register.not_written": ("Nekas netika saglabāts: failā ir {problems} kļūdas. Izlabojiet tās vai importējiet tikai derīgās rindas (--valid-only).", "Nothing was saved: the file has {problems} problems. Correct them or import the valid rows only (--valid-only)."),
}
