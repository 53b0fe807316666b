"""Bringing data in: spreadsheet files of every kind and the Register of Enterprises list."""
