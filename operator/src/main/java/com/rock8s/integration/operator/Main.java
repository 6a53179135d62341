package com.rock8s.integration.operator;

/** Entry point placeholder while the build is bootstrapped. */
public final class Main {
    public static void main(String[] args) {
    }
}
