def test_healthz_answers_without_login(client, db):
    assert client.get("/healthz").content == b"ok"
