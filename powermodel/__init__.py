"""powermodel: hourly electricity and heat of AI data centers on hydro grids."""
