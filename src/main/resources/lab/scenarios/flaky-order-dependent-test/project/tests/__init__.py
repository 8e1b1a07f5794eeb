"""Tests for prices."""
