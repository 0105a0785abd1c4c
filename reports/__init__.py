"""Reports: the disclosure-control gateway and the glue that feeds it from storage."""
