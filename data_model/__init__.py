"""Persistence: SQLModel tables, the engine, project setup and workbook import."""
