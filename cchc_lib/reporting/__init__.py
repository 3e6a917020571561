"""One unit and period on screen and paper: the dataset API for notebooks, sections, prose, tables, charts, official layout."""
