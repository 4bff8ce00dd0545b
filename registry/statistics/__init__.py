"""Back-office statistics: dashboard panels, charts and reports for each administrator's region."""
