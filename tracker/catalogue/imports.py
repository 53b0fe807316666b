"""Text of imports (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
    "error.file_too_big": ("Fails ir par lielu ({size_mb} MB; atļauts līdz {limit_mb} MB).", "The file is too big ({size_mb} MB; the limit is {limit_mb} MB)."),
    "error.file_empty": ("Fails ir tukšs.", "The file is empty."),
    "error.file_binary": ("Tas nav teksta (CSV) vai Excel (.xlsx) fails.", "This is not a text (CSV) or Excel (.xlsx) file."),
    "error.file_encoding": ("Faila kodējumu neizdevās nolasīt (der UTF-8 vai Windows-1257).", "The file's encoding could not be read (UTF-8 or Windows-1257 work)."),
    "error.file_broken_csv": ("CSV fails ir bojāts: {detail}", "The CSV file is broken: {detail}"),
    "error.file_broken_xlsx": ("Excel fails ir bojāts vai nav .xlsx formātā.", "The Excel file is broken or not in .xlsx format."),
    "error.file_old_excel": ("Vecais Excel formāts (.xls) netiek atbalstīts: saglabājiet failu kā .xlsx vai CSV.", "The old Excel format (.xls) is not supported: save the file as .xlsx or CSV."),
    "error.file_formula": ("{row}. rindas {column}. šūnā ir formula; importējiet tikai vērtības.", "Row {row}, column {column} holds a formula; import values only."),
    "error.file_too_many_rows": ("Failā ir vairāk nekā {limit} rindu; sadaliet to.", "The file has more than {limit} rows; split it."),
    "error.file_no_header": ("Pirmajā rindā jābūt kolonnu nosaukumiem.", "The first row must hold the column names."),
}
