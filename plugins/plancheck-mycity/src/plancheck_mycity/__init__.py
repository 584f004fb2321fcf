"""plancheck-mycity: the rules of the (fictional) みどり野市 地域再生計画作成要領, an example of a
municipal plancheck plugin: YAML rules where YAML suffices, one rule in Python."""
