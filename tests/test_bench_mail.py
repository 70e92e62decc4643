"""The mail bench's counting (bench/mail.py): what its receiver records and how it tells
delivered, missing and duplicate recipients apart. The whole bench (migrate, 10,000
subscribers, worker processes) takes minutes and is run by hand; its figures are in bench/results.md."""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from bench.mail import ReceiptRecorder, receipts_count, receipts_read, receipts_summarise

RECIPIENTS = {"a@example.org", "b@example.org", "c@example.org"}


def test_counts_delivered_missing_and_duplicates_with_their_message_ids():
    rows = [
        ("a@example.org", "<press-delivery-1@x>", 10.0),
        ("b@example.org", "<press-delivery-2@x>", 11.0),
        ("b@example.org", "<press-delivery-2@x>", 12.0),  # resent after a kill: same message
        ("a@example.org", "<other@x>", 13.0),  # twice, but not the same message
        ("stranger@example.org", "<press-delivery-9@x>", 14.0),
    ]

    summary = receipts_summarise(rows=rows, recipients=RECIPIENTS)

    assert (summary.delivered, summary.missing) == (2, 1)  # c never arrived
    assert (summary.duplicates, summary.duplicates_same_message_id) == (2, 1)
    assert summary.unexpected == 1
    assert summary.mails == 5
    assert summary.mails_per_second == pytest.approx(4 / 4.0)


def test_nothing_received_is_everything_missing():
    summary = receipts_summarise(rows=[], recipients=RECIPIENTS)

    assert (summary.delivered, summary.missing, summary.duplicates) == (0, 3, 0)
    assert summary.mails_per_second is None


def test_the_receiver_records_each_accepted_mail_in_a_file_that_outlives_it(tmp_path):
    database = tmp_path / "receipts.sqlite3"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(ReceiptRecorder(database), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            for number, recipient in enumerate(["a@example.org", "b@example.org", "b@example.org"]):
                message = EmailMessage()
                message["From"] = "presse@example.org"
                message["To"] = recipient
                message["Message-ID"] = f"<press-delivery-{min(number, 1)}@example.org>"
                message.set_content("Pressemitteilung")
                client.send_message(message)
    finally:
        controller.stop()

    # Read after the server is gone, from the file: what a killed worker cannot undo.
    assert receipts_count(database=database) == 2
    summary = receipts_read(database=database, recipients=RECIPIENTS)
    assert (summary.delivered, summary.missing) == (2, 1)
    assert (summary.duplicates, summary.duplicates_same_message_id) == (1, 1)
