"""Reports for RCA staff and partners, disaggregated by gender."""
