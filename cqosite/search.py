"""SQLite full-text search terms quoted as FTS5 requires: a ``"`` typed in a search box is a character, not syntax.

modelsearch (Wagtail's database search backend) wraps each term and phrase in double quotes without doubling the
quotes inside, so ``?search="`` failed with a server error in the pages API and the admin's page chooser.
PostgreSQL's backend passes terms as parameters and needs nothing.
"""

from modelsearch.backends.database.sqlite import query


def fts5_text(text):
    return text.replace('"', '""')


_lexeme_as_sql = query.Lexeme.as_sql
_expression_init = query.SearchQueryExpression.__init__


def lexeme_as_sql(self, compiler, connection):
    template, params = _lexeme_as_sql(self, compiler, connection)
    return template, [fts5_text(param) for param in params]


def expression_init(self, value, using=None, **extra):
    _expression_init(self, fts5_text(value) if isinstance(value, str) else value, using, **extra)


def quote_fts5_terms():
    query.Lexeme.as_sql = lexeme_as_sql
    query.SearchQueryExpression.__init__ = expression_init
