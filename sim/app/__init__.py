"""The classroom app: pick a summit, move a slider, watch who comes out ahead (``summit app``).

``controls`` holds what the app shows and changes as plain data, ``results`` computes a view from
the engine, ``page`` lays it out with Solara, and ``server`` starts it on this machine."""
