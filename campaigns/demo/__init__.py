"""Demo and development tooling: the demo campaign, a generator of past campaigns, the dev
server and a second-origin page for the banner. The app never imports it; its commands reach
``flask`` through the package's entry points."""
