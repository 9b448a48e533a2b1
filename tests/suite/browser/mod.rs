//! End-to-end tests in a real headless Chromium: the default theme's pages (`pages`) and
//! live reload under `versus serve` (`reload`), with their shared launcher (`support`).

mod accent;
mod evidence;
mod pages;
mod reload;
mod support;
mod weighting;
