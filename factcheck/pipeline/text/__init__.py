"""The pipeline's one text layer: how attribution, claims, matching and search read words.

- `tokens`: what a word is (the word patterns, and words a text holds)
- `sentences`: where sentences end, in a text and after an abbreviation
- `names`: a person's name folded for comparison and lookup (titles, accents, case)
- `stopwords`: the function words that weigh little in comparing and searching
- `numbers`: numbers read from words ("20,000", "$3.5", "three million")
- `folding`: text folded for comparison (case, quotation marks, dashes, contractions)
- `stemming`: words cut to their stems, so that "taxes" meets "tax"
- `memo`: the self-filling dict every stage caches its per-word work in

Pure Python: no Flask and no database, so that the store and the services read words
the way the pipeline does.
"""
