print("wfa")
