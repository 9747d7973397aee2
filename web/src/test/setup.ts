// vitest setup: Testing Library cleans up after each test (globals on).
