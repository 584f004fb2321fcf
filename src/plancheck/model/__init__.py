"""The plan model: what rules read from the AST through the profile (the format as data): measure
blocks and roles, KPI tables, dates and periods, the outline."""
