from django.template import Context, Template
from django.urls import reverse, set_script_prefix

LINKS = Template("{% load site_urls %}{% site_url 'forums:index' %} {% site_url 'legal' 'privacy' %} "
                 "{% site_url 'notifications:mark_read' 0 %}")


def test_site_url_writes_what_reverse_writes():
    expected = " ".join([reverse("forums:index"), reverse("legal", args=["privacy"]),
                         reverse("notifications:mark_read", args=[0])])
    assert LINKS.render(Context()) == expected
    assert LINKS.render(Context()) == expected  # from the cache


def test_site_url_follows_the_mount_point():
    LINKS.render(Context())
    set_script_prefix("/community/")
    try:
        assert LINKS.render(Context()).split()[0] == "/community/forums/"
    finally:
        set_script_prefix("/")
    assert LINKS.render(Context()).split()[0] == "/forums/"
