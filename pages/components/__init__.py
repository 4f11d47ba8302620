"""Parts of a page, each a function drawing one form or panel from what it is given, so AppTest can drive it alone."""
