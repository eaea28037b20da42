"""Small modal dialogs that ask the user one thing."""
