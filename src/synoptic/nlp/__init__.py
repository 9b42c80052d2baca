"""Language processing shared by the stages: sentences, embeddings, entities, time."""
