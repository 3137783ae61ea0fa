import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


# Keeps forums_postsearchentry equal to the published posts: a row for each approved, undeleted
# post with a vector, refreshed when any column it depends on is written.
CREATE_TRIGGER = [
    """
CREATE FUNCTION forums_post_search_entry() RETURNS trigger AS $$
BEGIN
    IF NEW.deleted_at IS NULL AND NEW.moderation_state = 'approved' AND NEW.search_vector IS NOT NULL THEN
        INSERT INTO forums_postsearchentry (post_id, topic_id, created_at, search_vector)
        VALUES (NEW.id, NEW.topic_id, NEW.created_at, NEW.search_vector)
        ON CONFLICT (post_id) DO UPDATE
            SET topic_id = EXCLUDED.topic_id, created_at = EXCLUDED.created_at,
                search_vector = EXCLUDED.search_vector;
    ELSE
        DELETE FROM forums_postsearchentry WHERE post_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER forums_post_search_entry
    AFTER INSERT OR UPDATE OF search_vector, deleted_at, moderation_state, created_at, topic_id ON forums_post
    FOR EACH ROW EXECUTE FUNCTION forums_post_search_entry()
""",
    """
INSERT INTO forums_postsearchentry (post_id, topic_id, created_at, search_vector)
    SELECT id, topic_id, created_at, search_vector FROM forums_post
    WHERE deleted_at IS NULL AND moderation_state = 'approved' AND search_vector IS NOT NULL
""",
    "CREATE INDEX forums_postsearchentry_gin ON forums_postsearchentry USING gin (search_vector)",
    "DROP INDEX IF EXISTS forums_post_search_gin",
]

DROP_TRIGGER = [
    "DROP TRIGGER IF EXISTS forums_post_search_entry ON forums_post",
    "DROP FUNCTION IF EXISTS forums_post_search_entry()",
    "CREATE INDEX IF NOT EXISTS forums_post_search_gin ON forums_post USING gin (search_vector)",
]


def keep_entries_with_posts(apps, schema_editor):
    # SQLite has no tsvector: search reads the posts' plain text and this table stays empty.
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_TRIGGER:
            schema_editor.execute(statement)


def stop_keeping_entries(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_TRIGGER:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('forums', '0005_moderated_managers'),
    ]

    operations = [
        migrations.CreateModel(
            name='PostSearchEntry',
            fields=[
                ('post', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='forums.post')),
                ('created_at', models.DateTimeField()),
                ('search_vector', django.contrib.postgres.search.SearchVectorField()),
                ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forums.topic')),
            ],
            options={
                'indexes': [models.Index(fields=['-created_at', '-post'], name='post_search_latest_idx')],
            },
        ),
        migrations.RunPython(keep_entries_with_posts, stop_keeping_entries),
    ]
