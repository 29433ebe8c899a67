"""Personal-data protection (Law No 058/2021): consent records, data export, erasure, audit."""
