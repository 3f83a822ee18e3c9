"""`ordersim trial`: design a randomised reminder trial a seller can run with the tools they
have, and measure from its export how buyers answer a reminder (docs/trial.md)."""
