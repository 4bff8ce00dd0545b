"""Counters behind every rate limit (SMS sends, "forgot" attempts), kept in the database.

A cache counter lives in one worker process unless Redis is configured; these are shared by every worker and
process, and are updated with conditional UPDATEs so that parallel requests cannot share one allowance.
"""

from django.db import models


class RateCounter(models.Model):
    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
