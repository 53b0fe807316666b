"""Text of the exports part (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
    "export.csv": ("CSV", "CSV"),
    "export.xlsx": ("Excel", "Excel"),
    "export.png": ("PNG attēls", "PNG image"),
}
