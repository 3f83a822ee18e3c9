"""`ordersim robust`: the answer under the assumed behaviour numbers, and how far they may be
wrong before it flips (break-even values, share of the space, influence, value of measuring)."""
