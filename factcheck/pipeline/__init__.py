"""The core: reading articles, finding quotes, speakers and claims, and matching.

Plain data in, plain data out; no Flask and no database imports anywhere below here.
"""
