"""Reading the table 'police recorded crime for headline offences by Community Safety Partnership
area' (Home Office data, published by ONS as Table C2), from CSV or XLSX.

Both formats become rows of cell strings, then one parser checks the whole table. All or nothing:
any bad row refuses the file with row-numbered errors. Nothing here touches the database.
Row numbers are what a person finds in the file: the line of a CSV file where the record starts
(the header's cells contain line breaks, so lines and records differ), the row of a spreadsheet.
"""

from .files import csv_rows, detect_format, read_crime_file, xlsx_rows
from .period import parse_period
from .records import AreaRecord, CrimeFileError, CrimeTable, SourceRow
from .table import read_crime_table

__all__ = [
    "AreaRecord",
    "CrimeFileError",
    "CrimeTable",
    "SourceRow",
    "csv_rows",
    "detect_format",
    "parse_period",
    "read_crime_file",
    "read_crime_table",
    "xlsx_rows",
]
