"""One module per node kind: its model, how it asks, and what answers it accepts."""
