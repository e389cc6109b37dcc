def test_sign_in_page_is_served(client):
    response = client.get("/account/sign-in/")
    assert response.status_code == 200
    assert b"Sign in to CSP Portal" in response.content
