"""What every screen handler uses: the request/reply conversation, the form reader, text fitting,
the message catalog, paging, finding the case a screen is about, and the office scope."""
