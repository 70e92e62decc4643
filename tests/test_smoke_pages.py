from press.models import PressReleasePage
from tests.factories import PressReleasePageFactory, body_paragraph, body_quote


def test_release_page_renders_paragraph_quote_and_contact(client, newsroom):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        body=[
            body_paragraph("<p>Zum Jahresauftakt fand im Rathaus das Treffen statt.</p>"),
            body_quote(
                "<p>Die CO<sub>2</sub>-Emissionen sinken.</p>",
                "Dr. Daniel Kleine",
                "Vorstandsvorsitzender",
            ),
        ],
    )
    response = client.get(release.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "07. Februar 2023" in html
    assert "Zum Jahresauftakt fand im Rathaus" in html
    assert "<blockquote>" in html and "CO<sub>2</sub>" in html
    assert "Dr. Daniel Kleine" in html
    assert release.contact.email in html
    assert PressReleasePage.objects.count() == 1
