"""plancheck-tokku: teaches plancheck the 総合特区評価書 (special-zone evaluation report), a second
document type: a profile that recognises it, and rules for its annexes and its numbers."""
