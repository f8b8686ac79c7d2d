"""Issue and pull-request embeddings: text preparation, the encoder, the store and search.

Import `encoder` only in the embeddings worker, management commands and benchmarks; every other
module here is free of torch.
"""
