package dev.awsonboard; public class Main { public static void main(String[] a) {} }
