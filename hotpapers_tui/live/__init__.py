"""The live feed: a day's Hot Papers built from the sources that still answer today."""
