"""The statutory annual report (政府信息公开工作年度报告) built from the registers."""
