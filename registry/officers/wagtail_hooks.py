"""Admin hooks for Chief Quality Officers (imported by registry.wagtail_hooks)."""
