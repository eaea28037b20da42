"""The Textual reader: the only package of the project that imports textual."""
