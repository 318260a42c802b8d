package io.iomt.benchmarks;

final class Placeholder {}
