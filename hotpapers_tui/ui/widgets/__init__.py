"""Widgets that show a day: they display what they are given and never load anything."""
