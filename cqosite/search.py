"""SQLite full-text search terms quoted as FTS5 requires: a ``"`` typed in a search box is a character, not syntax.

modelsearch (Wagtail's database search backend) wraps each term and phrase in double quotes without doubling the
quotes inside, so ``?search="`` failed with a server error in the pages API and the admin's page chooser.
PostgreSQL's backend passes terms as parameters and needs nothing (its SQLite module cannot even be imported there).
"""

from django.conf import settings


def fts5_text(text):
    return text.replace('"', '""')


def quote_fts5_terms():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    from modelsearch.backends.database.sqlite import query

    lexeme_as_sql, expression_init = query.Lexeme.as_sql, query.SearchQueryExpression.__init__

    def quoted_lexeme_as_sql(self, compiler, connection):
        template, params = lexeme_as_sql(self, compiler, connection)
        return template, [fts5_text(param) for param in params]

    def quoted_expression_init(self, value, using=None, **extra):
        expression_init(self, fts5_text(value) if isinstance(value, str) else value, using, **extra)

    query.Lexeme.as_sql = quoted_lexeme_as_sql
    query.SearchQueryExpression.__init__ = quoted_expression_init
