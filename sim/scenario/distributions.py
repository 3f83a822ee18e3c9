"""Distributions of durations and amounts, each a small model with an inverse CDF.

The engine draws every random quantity as a uniform number and pushes it through `ppf`, so two
strategies that read the same uniform get the same duration: that is what makes common random
numbers work. Parameters must describe non-negative quantities.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import ConfigDict, Field, Strict, model_validator
from scipy import special

from sim.scenario.fields import NonNegative, Positive, Section, tag_required

__all__ = [
    "DISTRIBUTION_NAMES",
    "Distribution",
    "Exponential",
    "Fixed",
    "Gamma",
    "Lognormal",
    "Uniform",
]

DISTRIBUTION_NAMES = ("fixed", "exponential", "lognormal", "uniform", "gamma")


def _as_uniforms(u: ArrayLike) -> np.ndarray:
    return np.asarray(u, dtype=float)


class Fixed(Section):
    """Always the same value: `{ dist = "fixed", value = 3 }`."""

    model_config = ConfigDict(json_schema_extra=tag_required("dist"))

    dist: Literal["fixed"] = Field(default="fixed", description="which distribution")
    value: NonNegative = Field(description="the value every draw takes")

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF: the constant, shaped like `u`."""
        return np.full_like(_as_uniforms(u), self.value, dtype=float)

    @property
    def mean(self) -> float:
        return float(self.value)


class Exponential(Section):
    """Memoryless waiting time: `{ dist = "exponential", mean = 6 }`."""

    model_config = ConfigDict(json_schema_extra=tag_required("dist"))

    dist: Literal["exponential"] = Field(default="exponential", description="which distribution")
    mean: Positive = Field(description="the mean")

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF: -mean * log(1 - u)."""
        return -self.mean * np.log1p(-_as_uniforms(u))


class Lognormal(Section):
    """Right-skewed positive time, given by its median: `{ dist = "lognormal", median, sigma }`."""

    model_config = ConfigDict(json_schema_extra=tag_required("dist"))

    dist: Literal["lognormal"] = Field(default="lognormal", description="which distribution")
    median: Positive = Field(description="the median (half of the draws are shorter)")
    sigma: Annotated[float, Strict(), Field(ge=0.0, le=10.0)] = Field(
        description="standard deviation of the logarithm"
    )

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF: median * exp(sigma * Phi^-1(u))."""
        return self.median * np.exp(self.sigma * special.ndtri(_as_uniforms(u)))

    @property
    def mean(self) -> float:
        return float(self.median * np.exp(self.sigma**2 / 2.0))


class Uniform(Section):
    """Equally likely anywhere between two bounds: `{ dist = "uniform", low = 1, high = 3 }`."""

    model_config = ConfigDict(json_schema_extra=tag_required("dist"))

    dist: Literal["uniform"] = Field(default="uniform", description="which distribution")
    low: NonNegative = Field(description="the lower bound (may be 0)")
    high: Positive = Field(description="the upper bound, above low")

    @model_validator(mode="after")
    def _low_below_high(self) -> Uniform:
        if self.low >= self.high:
            raise ValueError("low must be below high")
        return self

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF: low + (high - low) * u."""
        return self.low + (self.high - self.low) * _as_uniforms(u)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2.0


class Gamma(Section):
    """A flexible positive time given by mean and coefficient of variation (std / mean)."""

    model_config = ConfigDict(json_schema_extra=tag_required("dist"))

    dist: Literal["gamma"] = Field(default="gamma", description="which distribution")
    mean: Positive = Field(description="the mean")
    cv: Annotated[float, Strict(), Field(gt=0.0, le=10.0)] = Field(
        description="coefficient of variation: standard deviation / mean"
    )

    @property
    def shape(self) -> float:
        """The gamma shape k = 1 / cv^2."""
        return 1.0 / self.cv**2

    def ppf(self, u: ArrayLike) -> np.ndarray:
        """Inverse CDF: (mean / k) * P^-1(k, u), with P the regularised lower gamma function."""
        k = self.shape
        return self.mean / k * special.gammaincinv(k, _as_uniforms(u))


Distribution = Annotated[
    Fixed | Exponential | Lognormal | Uniform | Gamma,
    Field(discriminator="dist"),
]
