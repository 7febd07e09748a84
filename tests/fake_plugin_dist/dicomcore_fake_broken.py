"""A fake third-party plugin (entry point "fake-broken") whose import fails."""

raise ImportError("dicomcore_fake_broken needs libfake, which is not installed")
