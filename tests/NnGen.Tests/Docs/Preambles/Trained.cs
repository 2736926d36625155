// After Network (<!-- snippet: preamble Network Trained -->): the network trained as README's "Using it" does.
var model = new MnistMlp(seed: 42);
History history = model.Fit(train.Features, train.OneHotLabels(), epochs: 10, batchSize: 32, validationSplit: 0.2);
