"""The matching adapter: ORM rows to matcher documents, stored vectors, ranked lists."""
