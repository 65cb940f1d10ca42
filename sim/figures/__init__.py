"""Figures for the classroom and for papers, at the edge of the program: they read the engine's
plain outputs (a spec, an outcome, a summary, a comparison, a sweep's tables) and return
matplotlib figures; nothing in the engine imports them."""
