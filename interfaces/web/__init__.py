"""The console: the pages the centre's staff work in, rendered by the same app as the API and
calling the same application services. Templates and every asset ship in this package."""
