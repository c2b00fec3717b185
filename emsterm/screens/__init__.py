"""The screen handlers: one module per group of maps (`screens/*.toml` names them as
`module.function`); each takes a `Request` and returns a `Reply` inside one transaction."""
