"""Read models: projections of the complaint events into views that can be dropped and rebuilt."""
