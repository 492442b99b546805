"""Page views of the projects app, one module per topic."""
